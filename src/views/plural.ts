/**
 * A count with its noun: `plural(1, 'program')` is "1 program", `plural(3, 'program')` "3 programs",
 * `plural(2, 'person', 'people')` "2 people". Only exactly 1 takes the singular ("0 programs", "1.5 units").
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
