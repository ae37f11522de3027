// A module with no default export (and no `plugin` export).
export const name = 'no-default';
export function create() {
  return { collect() {} };
}
