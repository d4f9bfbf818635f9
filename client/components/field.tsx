import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  /** Messages shown beside the control; any makes it invalid. */
  errors?: string[];
  hint?: ReactNode;
}

/** What a control is described by (its errors, its hint) and whether it is invalid. */
interface ControlState {
  invalid: boolean;
  describedBy: string | undefined;
}

/**
 * A label, the control, its errors and its hint, the last two announced with the control
 * (aria-describedby): the one layout of every form field.
 */
function FieldShell({
  id,
  label,
  errors = [],
  hint,
  control,
}: FieldShellProps & { control: (state: ControlState) => ReactNode }) {
  const invalid = errors.length > 0;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className="mb-3">
      <label htmlFor={id} className="form-label">
        {label}
      </label>
      {control({ invalid, describedBy: describedBy || undefined })}
      {invalid ? (
        <div id={errorId} className="invalid-feedback d-block">
          {errors.map((message) => (
            <div key={message}>{message}</div>
          ))}
        </div>
      ) : null}
      {hint ? (
        <div id={hintId} className="form-text">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

function controlClass(base: string, invalid: boolean, extra: string | undefined): string {
  return `${base}${invalid ? ' is-invalid' : ''}${extra ? ` ${extra}` : ''}`;
}

interface FieldProps
  extends FieldShellProps, Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'> {
  name: string;
  /** Text shown inside the input group before the input ("$"). */
  prefix?: string;
}

/** A labelled Bootstrap input whose errors and hint are announced with it (aria-describedby). */
export function Field({ id, name, label, errors, hint, prefix, className, ...input }: FieldProps) {
  return (
    <FieldShell
      id={id}
      label={label}
      errors={errors}
      hint={hint}
      control={({ invalid, describedBy }) => {
        const control = (
          <input
            id={id}
            name={name}
            className={controlClass('form-control', invalid, className)}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            {...input}
          />
        );
        if (!prefix) return control;
        return (
          <div className={`input-group${invalid ? ' has-validation' : ''}`}>
            <span className="input-group-text" aria-hidden="true">
              {prefix}
            </span>
            {control}
          </div>
        );
      }}
    />
  );
}

interface SelectFieldProps
  extends FieldShellProps, Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name'> {
  name: string;
  children: ReactNode;
}

/** A labelled Bootstrap select, its errors and hint announced with it, like Field's inputs. */
export function SelectField({
  id,
  name,
  label,
  errors,
  hint,
  className,
  children,
  ...select
}: SelectFieldProps) {
  return (
    <FieldShell
      id={id}
      label={label}
      errors={errors}
      hint={hint}
      control={({ invalid, describedBy }) => (
        <select
          id={id}
          name={name}
          className={controlClass('form-select', invalid, className)}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          {...select}
        >
          {children}
        </select>
      )}
    />
  );
}
