export { compile, FINAL_STAGE } from './compile';
export { AutomatonState, type Automaton, type StateKind, type Transition, type TransitionAction } from './automaton';
