// Placeholder until import/export lands (being written now).
export function ImportButton() {
  return null;
}
export function ExportButton() {
  return null;
}
export function useJourneyFileDrop(): boolean {
  return false;
}
