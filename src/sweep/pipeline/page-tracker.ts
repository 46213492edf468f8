/**
 * Keeps the cursor exact while users finish out of order. Users are started in page order; their
 * outcomes are committed to the pool's counters in that same order, so the cursor can point at
 * the first user not fully done. When a slice stops, users past that point will be swept again by
 * the next slice: for them only what stays true (devices forgotten or found gone, errors) is
 * counted now, and the rest by the slice that sweeps them again, so slice reports sum to the
 * report of one uninterrupted run.
 */
import type { AuditRecord } from './audit';
import type { Counters } from './report';
import type { PoolPosition, UserPage } from './user-pages';

/** What sweeping one user found and did. */
export interface UserOutcome {
  /** False when a stop interrupted the user: the cursor cannot move past them. */
  readonly finished: boolean;
  /** Everything observed; committed when the user is done before the cursor point. */
  readonly full: Counters;
  /** What a later sweep of the same user would not see again (forgets, already-gone devices, errors). */
  readonly lasting: Counters;
  /**
   * Audit records of the user's decisions; `lasting` ones (forgotten, already gone, error) stand
   * even when the user is swept again, the others (would forget) are recorded again by that sweep.
   */
  readonly records?: readonly { readonly record: AuditRecord; readonly lasting: boolean }[];
}

/** The records of `outcome` that `part` counts. */
function recordsOf(outcome: UserOutcome, part: 'full' | 'lasting'): AuditRecord[] {
  return (outcome.records ?? []).filter((r) => part === 'full' || r.lasting).map((r) => r.record);
}

/** A page being swept. */
export interface TrackedPage {
  readonly page: UserPage;
  readonly outcomes: (UserOutcome | undefined)[];
  /** Users [first, prefix) are committed. */
  prefix: number;
}

export class PageTracker {
  private readonly pages: TrackedPage[] = [];
  private resumeAt: PoolPosition | undefined;

  /**
   * @param start where the pool starts in this slice
   * @param commit adds a committed user's counters to the pool's, and passes on their audit records
   * @param onCommitted called once per committed user (releases its window slot)
   * @param onPageDone called when a whole page is committed
   */
  constructor(
    start: PoolPosition,
    private readonly commit: (counters: Readonly<Counters>, records: readonly AuditRecord[]) => void,
    private readonly onCommitted: () => void,
    private readonly onPageDone: () => void,
  ) {
    this.resumeAt = start;
  }

  /** Starts tracking a page (users before `page.first` count as done). */
  open(page: UserPage): TrackedPage {
    const tracked: TrackedPage = { page, outcomes: new Array(page.users.length), prefix: page.first };
    this.pages.push(tracked);
    this.advance();
    return tracked;
  }

  /** User `index` of `tracked` is finished, or was interrupted by a stop. */
  complete(tracked: TrackedPage, index: number, outcome: UserOutcome): void {
    tracked.outcomes[index] = outcome;
    this.advance();
  }

  /** The first user not fully done; undefined when the whole pool is done. */
  position(): PoolPosition | undefined {
    const head = this.pages[0];
    return head ? head.page.positionOf(head.prefix) : this.resumeAt;
  }

  /**
   * Counts the users past the cursor point: `lasting` counters when they will be swept again by a
   * later slice, `full` ones when the run ends here (maxForgets reached).
   */
  settle(part: 'full' | 'lasting'): void {
    for (const tracked of this.pages) {
      for (let i = tracked.prefix; i < tracked.outcomes.length; i++) {
        const outcome = tracked.outcomes[i];
        if (outcome) this.commit(outcome[part], recordsOf(outcome, part));
      }
    }
  }

  private advance(): void {
    for (let head = this.pages[0]; head; head = this.pages[0]) {
      while (head.prefix < head.outcomes.length && head.outcomes[head.prefix]?.finished) {
        const outcome = head.outcomes[head.prefix]!;
        this.commit(outcome.full, recordsOf(outcome, 'full'));
        head.outcomes[head.prefix] = undefined;
        head.prefix++;
        this.onCommitted();
      }
      if (head.prefix < head.outcomes.length) return;
      this.pages.shift();
      this.resumeAt = head.page.after;
      this.onPageDone();
    }
  }
}
