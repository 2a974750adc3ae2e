/**
 * The kiosk UI kit: the one look every site's screens share (hospital, airport, gate).
 * Tokens and component styles are CSS (tokens.css, kit.css); screens import components from here.
 */
import './tokens.css';
import './kit.css';

export { Button, type ButtonKind } from './Button.tsx';
export { Icon, type IconName } from './icons.tsx';
export { CardOnReader, LookAtCamera } from './Illustrations.tsx';
export { Keypad } from './Keypad.tsx';
export { InlineProblem, ProblemPanel } from './Problem.tsx';
export { Screen, StepContext } from './Screen.tsx';
export { StepIndicator, type StepProgress } from './StepIndicator.tsx';
export { applyViewMode, ViewModeToggle, type ViewMode } from './ViewModeToggle.tsx';
export { WaitingScreen } from './Waiting.tsx';
export { formatDateTime, formatTime, yearAt } from './time.ts';
export { formatVnd } from './money.ts';
export { Pdf417, QrCode } from './Barcode.tsx';
export { Keyboard } from './Keyboard.tsx';
export { TextKeyboard, type TextKeyboardLabels } from './TextKeyboard.tsx';
export { toneAtCaret, TONES, type Tone } from './vietnamese-tones.ts';
export { FinishButton, useClosing } from './closing.tsx';
