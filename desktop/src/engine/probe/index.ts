export { type FfprobeOutput, type FfprobePacket, type FfprobeStream, parseFfprobe } from './parse.ts';
export { ProbeFailedError, type ProbeOptions, type ProbeOutcome, probeArgs, probeFile, probeMany } from './probe.ts';
