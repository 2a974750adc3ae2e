import type { ComponentChildren } from 'preact';
import { Icon, type IconName } from './icons.tsx';

export type ButtonKind = 'primary' | 'secondary' | 'cancel';

export interface ButtonProps {
  /** primary: the way forward; secondary: another choice; cancel: the way out (same size, quieter colour). */
  kind?: ButtonKind;
  icon?: IconName;
  large?: boolean;
  class?: string;
  disabled?: boolean;
  testId?: string;
  label?: string;
  onClick: () => void;
  children: ComponentChildren;
}

export function Button({ kind = 'secondary', icon, large, class: cls, disabled, testId, label, onClick, children }: ButtonProps) {
  return (
    <button
      type="button"
      class={['btn', kind, large ? 'large' : '', cls ?? ''].filter(Boolean).join(' ')}
      disabled={disabled}
      data-testid={testId}
      aria-label={label}
      onClick={onClick}
    >
      {icon && <Icon name={icon} />}
      {children}
    </button>
  );
}
