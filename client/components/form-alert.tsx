import { forwardRef } from 'react';

/** The messages that belong to the whole form; focusable so a failed submit can move focus here. */
export const FormAlert = forwardRef<HTMLDivElement, { messages: string[]; id?: string }>(
  function FormAlert({ messages, id }, ref) {
    if (messages.length === 0) return null;
    return (
      <div ref={ref} id={id} className="alert alert-danger" role="alert" tabIndex={-1}>
        {messages.length === 1 ? (
          messages[0]
        ) : (
          <ul className="mb-0">
            {messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </div>
    );
  },
);
