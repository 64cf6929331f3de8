export { type Offset, canonicalOffset, compareOffsets } from './offsets';
export { TimerQueue } from './timer-queue';
export { type InputPartition, type WatermarkOptions, WatermarkTracker } from './watermark-tracker';
