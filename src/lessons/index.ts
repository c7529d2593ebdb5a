/**
 * The page's teaching text over the engine: a lesson for every example (what it tries, the rule
 * that stops it, one change to try, and how each run must end) and the guided tour through them.
 * It sits above the engine and reaches it only through src/core/index.ts; the engine keeps just
 * the catalog of examples, which share links look up by id.
 */
export {
  checkExpectation, examplesByTopic, lessonExpectation, lessonFor, lessonPolicy, sandboxExpectation,
  type Expectation, type Lesson, type LessonTopic, type LessonVariant, type Mismatch,
} from './lessons.ts';
export { TOUR, lessonFragment, parseLessonFragment, type TourControl, type TourLink, type TourStep } from './tour.ts';
