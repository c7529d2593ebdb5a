/** kavach's severities, lowest first (a module of its own: the worker needs them, not the schema). */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
