export async function benchCommand(): Promise<number> {
  throw new Error('not yet');
}
