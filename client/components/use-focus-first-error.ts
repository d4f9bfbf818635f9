'use client';
import { useCallback, useEffect, useRef } from 'react';

/**
 * After a submit fails, moves keyboard focus to the first invalid input of the form, or to the form's
 * alert when no single field is at fault, so keyboard and screen-reader users land on the problem.
 * Call `focusFirstErrorAfterRender()` where the errors are set; focus moves once they are on screen.
 */
export function useFocusFirstError() {
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const pending = useRef(false);
  useEffect(() => {
    if (!pending.current) return;
    pending.current = false;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else alertRef.current?.focus();
  });
  const focusFirstErrorAfterRender = useCallback(() => {
    pending.current = true;
  }, []);
  return { formRef, alertRef, focusFirstErrorAfterRender };
}
