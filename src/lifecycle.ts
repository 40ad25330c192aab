import { Injectable } from '@nestjs/common';

/**
 * The process's serving state, for the readiness probe: once a shutdown starts (SIGTERM), the
 * server is draining — it finishes the requests in flight, and readiness answers 503 so that a
 * load balancer sends nothing new.
 */
@Injectable()
export class Lifecycle {
  private drainingSince: Date | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  drain(): void {
    this.drainingSince ??= new Date();
  }
}
