/** Collects what the code under test writes to stdout, in place of printing it; `jest.restoreAllMocks()` ends it. */
export function captureStdout(): { readonly text: string } {
  const captured = { text: '' };
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    captured.text += String(chunk);
    return true;
  });
  return captured;
}
