/** Why a search from the URL could not be run, in the service's words ("to must not be before from"). */
export function SearchProblem({ messages }: { messages: string[] }) {
  return (
    <div className="alert alert-danger" role="alert">
      <p className="mb-1">This search cannot be run:</p>
      <ul className="mb-0">
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
