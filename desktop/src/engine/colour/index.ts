export {
  bt601ToBt709Chain,
  colourChain,
  deinterlaceChain,
  hdrToSdrChain,
  isBt601,
  isHdr,
  isInterlaced,
  REFERENCE_WHITE_NITS,
} from './colour.ts';
export { availableFilters, HDR_FILTERS, parseFilterList } from './filters.ts';
