export {
  RECORDED_RECORD_SCHEMA,
  RECORDING_FORMAT,
  type RecordedSchema,
  type RecordedTopics,
  RecordingError,
  type RecordingHeader,
  type RecordingWriter,
  readRecording,
  readRecordingHeader,
  recordingWriter,
} from './recording';
export { type AppendOnlyLog, type RecordingLog, type RecordingLogOptions, recordingLog } from './recording-log';
export { registrySchemas } from './registry-schemas';
export { type RecordedLabel, readLabels } from './labels';
