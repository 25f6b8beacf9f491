/**
 * k6's output arrives in chunks that cut lines anywhere (a pipe from the host process, a
 * followed pod log in the cluster). One splitter for both: it hands over whole lines only,
 * keeps the unfinished tail for the next chunk, and gives the tail up at the end.
 */
export interface LineSplitter {
  /** Feeds a chunk; every line it completes goes to `onLine`, without its newline. */
  readonly push: (chunk: string) => void;
  /** The stream ended: a last line without a newline is still a line. */
  readonly end: () => void;
}

export function lineSplitter(onLine: (line: string) => void): LineSplitter {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    },
    end() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}
