import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormEvent } from 'react';
import { Field } from '@/components/field';
import { FormAlert } from '@/components/form-alert';
import { ApiError, NO_ERRORS, type FormErrors } from '@/lib/api/errors';
import { useFormSubmit } from './use-form-submit';

interface ProbeProps {
  action: (name: string) => Promise<FormErrors | null | void>;
  onError?: (err: unknown) => void;
  keepSubmittingOnSuccess?: boolean;
}

const NAME_REQUIRED: FormErrors = { fields: { name: ['Enter a name'] }, form: [] };

/** The smallest form built the way the app's forms are: one input, the alert and the button. */
function Probe({ action, onError, keepSubmittingOnSuccess }: ProbeProps) {
  const { errors, submitting, formRef, alertRef, submit } = useFormSubmit({
    fields: ['name'],
    keepSubmittingOnSuccess,
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    await submit(name ? NO_ERRORS : NAME_REQUIRED, () => action(name), onError);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <FormAlert ref={alertRef} messages={errors.form} />
      <Field id="name" name="name" label="Name" errors={errors.fields.name} />
      <button type="submit" disabled={submitting}>
        {submitting ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

async function save(name: string) {
  if (name) await userEvent.type(screen.getByLabelText('Name'), name);
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
}

describe('useFormSubmit', () => {
  it("shows the local check's messages, focused, without running the action", async () => {
    const action = jest.fn();
    render(<Probe action={action} />);

    await save('');

    const name = screen.getByLabelText('Name');
    expect(name).toHaveAccessibleDescription('Enter a name');
    expect(name).toHaveFocus();
    expect(action).not.toHaveBeenCalled();
  });

  it('disables the button while waiting and enables it again once done', async () => {
    let finish = () => {};
    const action = jest.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    render(<Probe action={action} />);

    await save('Ann');

    expect(action).toHaveBeenCalledWith('Ann');
    expect(screen.getByRole('button', { name: 'Saving…' })).toBeDisabled();
    finish();
    expect(await screen.findByRole('button', { name: 'Save' })).toBeEnabled();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the button disabled after success when the form navigates away', async () => {
    render(<Probe action={async () => {}} keepSubmittingOnSuccess />);

    await save('Ann');

    expect(await screen.findByRole('button', { name: 'Saving…' })).toBeDisabled();
  });

  it("shows a thrown error's field message beside that field, focused, and hands it to onError", async () => {
    const refused = new ApiError(400, [{ message: 'Name is taken', field: 'name' }]);
    const onError = jest.fn();
    render(
      <Probe action={() => Promise.reject(refused)} onError={onError} keepSubmittingOnSuccess />,
    );

    await save('Ann');

    const name = await screen.findByLabelText('Name');
    expect(name).toHaveAccessibleDescription('Name is taken');
    expect(name).toHaveFocus();
    expect(onError).toHaveBeenCalledWith(refused);
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });

  it('shows the errors the action resolves to, focusing the alert when no field is at fault', async () => {
    render(<Probe action={async () => ({ fields: {}, form: ['Card declined'] })} />);

    await save('Ann');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Card declined');
    expect(alert).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });
});
