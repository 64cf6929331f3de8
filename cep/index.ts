// The engine's public API. Internals (operators' state layouts, the intake, the stage runner)
// stay behind the part barrels' selective exports.
export * from './errors';
export * from './features';
export * from './job';
export * from './join';
export * from './model';
export * from './rules';
export * from './state';
export * from './testing';
export * from './time';
export * from './velocity';
