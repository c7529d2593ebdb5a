/** Policy documents: schema, loading with path-named errors, presets, and what they mean for a run. */
export * from './schema.ts';
export * from './load.ts';
export * from './presets.ts';
export * from './derive.ts';
export * from './fields.ts';
export * from './summary.ts';
