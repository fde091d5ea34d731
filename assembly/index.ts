// Kernels exported to the host. Memory above heapBase() is the host's to manage: the kernels
// read and write only through the pointers they are given and allocate nothing.
export { scaledBesselI1 } from "./bessel";
export { outletConcentration, pointConcentration, adsorbedFraction, supportIntegral, setOutletRule } from "./laplace";

/** First byte of linear memory free for the host's arrays. */
export function heapBase(): usize {
  return __heap_base;
}
export { fdImplicitAdvance, fdExplicitAdvance } from "./fd";
export { fdProgramAdvance } from "./fd-program";
export { fdFrameAdvance } from "./fd-frame";
export { nonPositiveExponentials } from "./exponential";
export { trapezoidAndMaximum, largestIndex, addScaled } from "./grid";
export { migrate } from "./migration";
export {
  dispersiveConcentration, dispersionError, dispersionWindowStart, dispersionWindowPeriod, setDispersionMechanisms,
  setDispersionColumn,
} from "./dispersion";
export { thomasConcentration } from "./thomas";
export { fdLangmuirAdvance } from "./fd-langmuir";
