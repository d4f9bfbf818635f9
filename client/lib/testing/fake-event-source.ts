/**
 * A stand-in for the browser's EventSource (jsdom has none): tests install it as the global, then
 * play the server's part with `emit`, `fail` and `close`.
 */
export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  /** Every source opened since `install`, newest last. */
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readyState = FakeEventSource.CONNECTING;
  onerror: ((event: Event) => void) | null = null;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  addEventListener(name: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** The server sends `event: name` with `data` as JSON. */
  emit(name: string, data: unknown) {
    this.readyState = FakeEventSource.OPEN;
    const message = new MessageEvent('message', { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(name) ?? []) listener(message);
  }

  /** The connection fails; `giveUp` as the browser does after a non-200 answer (no reconnect). */
  fail({ giveUp }: { giveUp: boolean }) {
    this.readyState = giveUp ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.(new Event('error'));
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no EventSource was opened');
    return source;
  }

  static install() {
    FakeEventSource.instances = [];
    Object.defineProperty(globalThis, 'EventSource', {
      value: FakeEventSource,
      configurable: true,
      writable: true,
    });
  }

  static uninstall() {
    Reflect.deleteProperty(globalThis, 'EventSource');
  }
}
