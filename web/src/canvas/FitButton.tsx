/**
 * The controls' "show the whole journey" button. React Flow's own calls its fitView, which knows no
 * node in the overview band (none is mounted there) and would then fit, unasked, once they are:
 * this one fits from the document (fitNodes.ts), in every band.
 */
import { ControlButton } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import { useEditor } from "../store/editor.ts";
import { fitOptions } from "./fit.ts";
import { useFitNodes } from "./fitNodes.ts";

/** React Flow's fit-view icon (it does not export it). */
const ICON = [
  "M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631z",
  "M27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0z",
  "m.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139z",
  "m-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z",
].join("");

export function FitButton() {
  const { t } = useTranslation();
  const fit = useFitNodes();
  return (
    <ControlButton
      // React Flow's class: its look, and what the browser tests click.
      className="react-flow__controls-fitview"
      onClick={() => fit(null, fitOptions(useEditor.getState().doc?.nodes.length ?? 0))}
      title={t("canvas.fitView")}
      aria-label={t("canvas.fitView")}
    >
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden>
        <path d={ICON} />
      </svg>
    </ControlButton>
  );
}
