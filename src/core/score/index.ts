/** Strength scores: kavach's number, and the playground's, which credits only what is enforced. */
export { KAVACH_BASE, kavachScore, scoreLabel, toScore, type Score, type ScoreLabel } from './kavach.ts';
export { PLAYGROUND_POINTS, SECRET_ENV_NAME, looksSecret, playgroundScore, type PlaygroundScore, type ScoreLine } from './playground.ts';
