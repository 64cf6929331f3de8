export { type Offset, canonicalOffset, compareOffsets } from './offsets';
export { type Timer, TimerQueue } from './timer-queue';
export { type InputPartition, type WatermarkOptions, WatermarkTracker } from './watermark-tracker';
