// Next 15 is installed under the alias `next15`.
declare module 'next15' {
  const next: unknown;
  export default next;
}
