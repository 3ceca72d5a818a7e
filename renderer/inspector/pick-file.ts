// A browser file dialog for file params.

/** Resolves with the chosen file, or null if the dialog was dismissed. */
export function pickLocalFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = window.document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null));
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}
