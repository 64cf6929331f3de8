export { type Offset, canonicalOffset, compareOffsets } from './offsets';
export { type EventPosition, compareEventPositions } from './event-order';
export { ReorderBuffer } from './reorder-buffer';
export { type Timer, TimerQueue } from './timer-queue';
export { type InputPartition, type WatermarkOptions, WatermarkTracker } from './watermark-tracker';
