'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import type { FormErrors } from '@/lib/api/errors';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { PASSWORD_MIN } from '@/lib/password';
import { Field } from './field';
import { FormAlert } from './form-alert';

const FIELDS = ['email', 'password'] as const;

interface AuthFormProps {
  mode: 'signup' | 'signin';
  /** Where to go once signed in (already checked to be a path on this site). */
  next: string;
}

function checkInput(mode: AuthFormProps['mode'], email: string, password: string): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (!email.trim()) fields.email = ['Enter your email address'];
  else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim()))
    fields.email = ['Email must be a valid email address'];
  if (!password) fields.password = ['Enter your password'];
  else if (mode === 'signup' && password.length < PASSWORD_MIN)
    fields.password = [`Password must be at least ${PASSWORD_MIN} characters`];
  return { fields, form: [] };
}

export function AuthForm({ mode, next }: AuthFormProps) {
  const router = useRouter();
  const { errors, submitting, formRef, alertRef, submit } = useFormSubmit({
    fields: FIELDS,
    keepSubmittingOnSuccess: true,
  });
  const signup = mode === 'signup';

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get('email') ?? '');
    const password = String(data.get('password') ?? '');
    await submit(checkInput(mode, email, password), async () => {
      const body = { email: email.trim(), password };
      await (signup ? browserApi.signUp(body) : browserApi.signIn(body));
      // The header (rendered by the layout on the server) must learn who is signed in now.
      router.replace(next);
      router.refresh();
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <FormAlert ref={alertRef} messages={errors.form} />
      <Field
        id="email"
        name="email"
        type="email"
        label="Email address"
        autoComplete="email"
        inputMode="email"
        required
        errors={errors.fields.email}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete={signup ? 'new-password' : 'current-password'}
        required
        errors={errors.fields.password}
        hint={signup ? `At least ${PASSWORD_MIN} characters.` : undefined}
      />
      <button type="submit" className="btn btn-primary w-100" disabled={submitting}>
        {submitting ? (signup ? 'Signing up…' : 'Signing in…') : signup ? 'Sign up' : 'Sign in'}
      </button>
      <p className="mt-3 mb-0 text-center">
        {signup ? 'Already have an account? ' : 'New here? '}
        <Link href={`${signup ? '/auth/signin' : '/auth/signup'}?next=${encodeURIComponent(next)}`}>
          {signup ? 'Sign in' : 'Create an account'}
        </Link>
      </p>
    </form>
  );
}
