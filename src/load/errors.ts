/** A load run that cannot do its job: one line that says what and why, never a hang. */
export class LoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message.split('\n')[0], options);
    this.name = 'LoadError';
  }
}
