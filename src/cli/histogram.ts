/**
 * The age picture as plain-text bar charts (at most 80 columns): devices by last use, remembered
 * (`#`) stacked with not remembered (`=`), and users by the devices they hold.
 */
import { AGE_BUCKETS, AGE_BUCKET_NAMES, AgePicture, DEVICE_COUNT_BUCKETS } from '../sweep/pipeline/age-picture';

/** Widest line drawn. */
export const CHART_WIDTH = 80;
const LABEL_WIDTH = 12;
const INDENT = '  ';

/** One bar: a label, stacked segments (character, count), and the total printed after it. */
interface Bar {
  readonly label: string;
  readonly segments: readonly { readonly char: string; readonly count: number }[];
}

/** Both charts of one picture, under `title`. */
export function ageCharts(title: string, picture: AgePicture): string {
  const labels = [...AGE_BUCKETS.map((b) => b.label), 'undated'];
  const deviceBars: Bar[] = AGE_BUCKET_NAMES.map((name, i) => ({
    label: labels[i],
    segments: [{ char: '#', count: picture.remembered[name] }, { char: '=', count: picture.notRemembered[name] }],
  }));
  const userBars: Bar[] = DEVICE_COUNT_BUCKETS.map((b) => ({
    label: b.label,
    segments: [{ char: '#', count: picture.usersByDeviceCount[b.name] }],
  }));
  return [
    `${title}: devices by last use (# remembered, = not remembered)`,
    ...barLines(deviceBars),
    `${title}: users by devices held after the run`,
    ...barLines(userBars),
  ].join('\n');
}

/** Bars scaled so the longest fills the room left by the label and the widest count. */
function barLines(bars: readonly Bar[]): string[] {
  const totals = bars.map((bar) => bar.segments.reduce((n, s) => n + s.count, 0));
  // Fixed locale, like the table: output must not depend on the machine's settings.
  const counts = totals.map((n) => n.toLocaleString('en-US'));
  const countWidth = Math.max(...counts.map((c) => c.length));
  const room = CHART_WIDTH - INDENT.length - LABEL_WIDTH - 1 - countWidth;
  const max = Math.max(1, ...totals);
  return bars.map((bar, i) => {
    let drawn = '';
    let before = 0;
    for (const segment of bar.segments) {
      // Rounded at the running sum, so stacked segments add up to the whole bar; a non-zero
      // segment gets at least one character, so a small count is never invisible.
      const after = before + segment.count;
      const width = Math.round((after / max) * room) - Math.round((before / max) * room);
      drawn += segment.char.repeat(segment.count === 0 ? 0 : Math.max(1, width));
      before = after;
    }
    drawn = drawn.slice(0, room);
    return `${INDENT}${bar.label.padEnd(LABEL_WIDTH)}${drawn.padEnd(room)} ${counts[i].padStart(countWidth)}`.trimEnd();
  });
}
