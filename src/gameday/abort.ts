export async function abortCommand(_e: NodeJS.ProcessEnv, _r: string): Promise<number> {
  return 2;
}
