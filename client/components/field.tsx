import type { InputHTMLAttributes, ReactNode } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'> {
  id: string;
  name: string;
  label: ReactNode;
  /** Messages shown beside the input; any makes it invalid. */
  errors?: string[];
  hint?: ReactNode;
  /** Text shown inside the input group before the input ("$"). */
  prefix?: string;
}

/** A labelled Bootstrap input whose errors and hint are announced with it (aria-describedby). */
export function Field({
  id,
  name,
  label,
  errors = [],
  hint,
  prefix,
  className,
  ...input
}: FieldProps) {
  const invalid = errors.length > 0;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  const control = (
    <input
      id={id}
      name={name}
      className={`form-control${invalid ? ' is-invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy || undefined}
      {...input}
    />
  );
  const feedback = invalid ? (
    <div id={errorId} className="invalid-feedback d-block">
      {errors.map((message) => (
        <div key={message}>{message}</div>
      ))}
    </div>
  ) : null;
  return (
    <div className="mb-3">
      <label htmlFor={id} className="form-label">
        {label}
      </label>
      {prefix ? (
        <div className={`input-group${invalid ? ' has-validation' : ''}`}>
          <span className="input-group-text" aria-hidden="true">
            {prefix}
          </span>
          {control}
        </div>
      ) : (
        control
      )}
      {feedback}
      {hint ? (
        <div id={hintId} className="form-text">
          {hint}
        </div>
      ) : null}
    </div>
  );
}
