/**
 * A sandbox gateway for tests that records every call and can stage a network failure or a race.
 */
import { afterEach } from '@jest/globals';
import {
  SandboxGateway,
  type ChargeRequest,
  type PaymentGateway,
  type RefundRequest,
  type TransferRequest,
} from '../gateway';

/**
 * The sandbox gateway with a memory of every call, for assertions, and two ways to stage trouble: make
 * the next charge fail on the "network", or run something just before a charge's answer comes back (to
 * stage a race with the order's cancellation).
 */
export class RecordingGateway implements PaymentGateway {
  readonly name = 'recording-sandbox';
  readonly charges: ChargeRequest[] = [];
  readonly refunds: RefundRequest[] = [];
  readonly transfers: TransferRequest[] = [];
  /** Set by a test to act as Stripe does (a transfer needs the seller's connected account). */
  needsPayoutAccount = false;
  private inner = new SandboxGateway();
  private failures: Error[] = [];
  private beforeAnswer?: (request: ChargeRequest) => Promise<void>;

  async charge(request: ChargeRequest): Promise<{ id: string }> {
    this.charges.push(request);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const answer = await this.inner.charge(request).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const hook = this.beforeAnswer;
    this.beforeAnswer = undefined;
    await hook?.(request);
    if ('error' in answer) throw answer.error;
    return answer.value;
  }

  async refund(request: RefundRequest): Promise<{ id: string }> {
    this.refunds.push(request);
    const failure = this.failures.shift();
    if (failure) throw failure;
    return this.inner.refund(request);
  }

  async transfer(request: TransferRequest): Promise<{ id: string }> {
    this.transfers.push(request);
    const failure = this.failures.shift();
    if (failure) throw failure;
    return this.inner.transfer(request);
  }

  /** The next gateway call fails as if the network dropped it (outcome unknown). */
  failNextCall(error = new Error('socket hang up')): void {
    this.failures.push(error);
  }

  /** Runs `hook` once, after the next charge is made and before its answer is returned. */
  beforeNextAnswer(hook: (request: ChargeRequest) => Promise<void>): void {
    this.beforeAnswer = hook;
  }

  reset(): void {
    this.charges.length = 0;
    this.refunds.length = 0;
    this.transfers.length = 0;
    this.needsPayoutAccount = false;
    this.failures = [];
    this.beforeAnswer = undefined;
    this.inner = new SandboxGateway();
  }
}

/**
 * One recording gateway for this test file, to hand the service (`tuning.gateway`) and to assert on;
 * emptied after each test.
 */
export function useRecordingGateway(): RecordingGateway {
  const gateway = new RecordingGateway();
  afterEach(() => gateway.reset());
  return gateway;
}
