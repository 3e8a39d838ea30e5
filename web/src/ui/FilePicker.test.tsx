import { fireEvent, render, screen } from "@testing-library/react";
import i18next from "i18next";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FilePicker } from "./FilePicker.tsx";

function Picker({ onFile }: { onFile(f: File): void }) {
  const [name, setName] = useState<string | null>(null);
  return (
    <FilePicker
      accept=".jsonl"
      testId="pick"
      fileName={name}
      onFile={(f) => {
        setName(f.name);
        onFile(f);
      }}
    />
  );
}

describe("a file chooser in the page's language", () => {
  afterEach(async () => {
    await i18next.changeLanguage("en");
  });

  it("says what to do and what was chosen in Chinese, and hands the file over", async () => {
    await i18next.changeLanguage("zh-CN");
    const onFile = vi.fn();
    render(<Picker onFile={onFile} />);
    expect(screen.getByTestId("pick-button").textContent).toBe("选择文件");
    expect(screen.getByTestId("pick-name").textContent).toBe("未选择文件");
    // The native input, whose own words are the browser's, is not shown.
    expect((screen.getByTestId("pick") as HTMLInputElement).hidden).toBe(true);
    const file = new File(["{}\n"], "events.jsonl");
    fireEvent.change(screen.getByTestId("pick"), { target: { files: [file] } });
    expect(onFile).toHaveBeenCalledWith(file);
    expect(screen.getByTestId("pick-name").textContent).toBe("events.jsonl");
    expect(screen.getByTestId("pick-button").getAttribute("aria-describedby")).toBe(screen.getByTestId("pick-name").id);
  });

  it("opens the browser's chooser from its button", () => {
    render(<Picker onFile={() => {}} />);
    const input = screen.getByTestId("pick") as HTMLInputElement;
    const click = vi.spyOn(input, "click");
    fireEvent.click(screen.getByTestId("pick-button"));
    expect(click).toHaveBeenCalledOnce();
    expect(screen.getByTestId("pick-button").textContent).toBe("Choose a file");
  });
});
