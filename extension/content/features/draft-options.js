// The "more options" fold of the task being prepared (task-panel.js's draft): more travel dates in priority order
// (the table's date first; a date past 12306's pre-sale window is allowed and marked as starting at its sale),
// kinds of train, a departure window, the least seats left in a class and booking for fewer passengers. Folded by
// default so the panel stays small.
//
// It decides nothing: what it gathers goes into the start request as the task contract's fields (`dates`,
// `trainTypes`, `departAfter`, `departBefore`, `minSeats`, `allowFewer`), and the core's taskFromSpec accepts or
// refuses them; a refusal (the background words it in the user's language and passes its code and detail) is
// shown here at its field. The days offered (today … the latest) and the end of the pre-sale window come from the
// core's reading of login/conf (`loginStatus`: `today`, `lastOnSale`, `latestDate`).
"use strict";

/** The scripts' shared namespace (typed in types/content.d.ts); each script adds its part. @type {KyfwContent} */
var kyfw = globalThis.kyfw || (globalThis.kyfw = /** @type {KyfwContent} */ ({}));

kyfw.draftOptions = (() => {
  const { h, t } = kyfw;
  // The kinds of train the task contract names (`G C D Z T K`, `O` = other), in the order 12306's filter shows them.
  const TYPES = ["G", "C", "D", "Z", "T", "K", "O"];

  /** The draft's dates, in priority order (the table's date first until the user reorders). @type {string[]} */
  let dates = [];
  // The rest outlives a draft: a user who filters G/D trains leaving in the morning keeps that for the next one.
  /** @type {string[]} */
  let types = [];
  let after = "";
  let before = "";
  let minSeats = "";
  let allowFewer = false;
  /** What the core read from login/conf: the days a date may be picked from, and the end of the pre-sale window. */
  let days = { today: /** @type {string | null} */ (null), lastOnSale: /** @type {string | null} */ (null), latest: /** @type {string | null} */ (null) };

  /**
   * @typedef {{fold: HTMLDetailsElement, brief: HTMLElement, dates: HTMLElement, dateNew: HTMLInputElement,
   *   datesError: HTMLElement, typesError: HTMLElement, after: HTMLInputElement, before: HTMLInputElement,
   *   windowError: HTMLElement, minSeats: HTMLInputElement, minSeatsError: HTMLElement}} OptionElements
   */
  const el = /** @type {OptionElements} */ ({});

  /** A date past the pre-sale window: its task waits for the sale (the core schedules it). @param {string} date */
  const scheduled = (date) => !!days.lastOnSale && date > days.lastOnSale;

  /** A short line in the fold's title of what is set beyond the table's date, so a closed fold still tells. */
  function brief() {
    const parts = [];
    if (dates.length > 1) parts.push(dates.slice(1).join(" "));
    if (types.length) parts.push(types.map((c) => (c === "O" ? t("optTypeO") : c)).join("/"));
    if (after || before) parts.push(`${after || "…"}–${before || "…"}`);
    if (minSeats) parts.push(`≥${minSeats}`);
    return parts.map((part) => ` · ${part}`).join("");
  }

  function clearErrors() {
    for (const box of [el.datesError, el.typesError, el.windowError, el.minSeatsError]) box.textContent = "";
    for (const field of [el.dateNew, el.after, el.before, el.minSeats]) field.removeAttribute("aria-invalid");
  }

  function renderDates() {
    /** @param {number} from @param {number} to */
    const move = (from, to) => () => {
      if (to < 0 || to >= dates.length) return;
      const [date] = dates.splice(from, 1);
      dates.splice(to, 0, date);
      render();
    };
    el.dates.replaceChildren(
      ...dates.map((date, i) =>
        h(
          "li",
          { "data-date": date, "data-scheduled": scheduled(date) ? "true" : null },
          h("b", {}, `${i + 1}. ${date}`),
          scheduled(date) ? h("span", { class: "kyfw-scheduled", title: t("optScheduledHint") }, t("optScheduled")) : null,
          h("button", { type: "button", class: "kyfw-up", title: t("draftUp"), "aria-label": t("draftUp"), disabled: i === 0, onclick: move(i, i - 1) }, "↑"),
          h("button", { type: "button", class: "kyfw-down", title: t("draftDown"), "aria-label": t("draftDown"), disabled: i === dates.length - 1, onclick: move(i, i + 1) }, "↓"),
          h(
            "button",
            {
              type: "button",
              class: "kyfw-remove",
              title: t("draftRemove"),
              "aria-label": t("draftRemove"),
              // A task needs a date: the last one stays.
              disabled: dates.length === 1,
              onclick: () => {
                dates = dates.filter((d) => d !== date);
                render();
              },
            },
            "✕",
          ),
        ),
      ),
    );
  }

  function render() {
    if (!el.fold) return;
    renderDates();
    el.brief.textContent = brief();
    if (days.today) el.dateNew.min = days.today;
    if (days.latest) el.dateNew.max = days.latest;
  }

  // The picked date joins the list (last, lowest priority). The browser checks it against the days the core
  // offered (min/max); the core checks the rest when the task starts.
  function addDate() {
    const date = el.dateNew.value;
    clearErrors();
    if (!date) return;
    if (!el.dateNew.checkValidity()) {
      el.dateNew.setAttribute("aria-invalid", "true");
      el.datesError.textContent = t("optDateRange", el.dateNew.min || "…", el.dateNew.max || "…");
      return;
    }
    if (dates.includes(date)) {
      el.datesError.textContent = t("optDateTwice");
      return;
    }
    dates.push(date);
    el.dateNew.value = "";
    render();
  }

  /** @param {string} id @param {string} label @param {string} value @param {(v: string) => void} set */
  function timeField(id, label, value, set) {
    return h("input", {
      type: "text",
      id,
      inputmode: "numeric",
      maxlength: "5",
      placeholder: t("optTimeHint"),
      "aria-label": label,
      "aria-describedby": "kyfw-window-error",
      value,
      onchange: (/** @type {Event & {target: HTMLInputElement}} */ e) => {
        set(e.target.value.trim());
        clearErrors();
        el.brief.textContent = brief();
      },
    });
  }

  /** The fold, built once; task-panel.js puts it into the draft. */
  function element() {
    el.brief = h("span", { class: "kyfw-opt-brief" });
    el.dates = h("ol", { id: "kyfw-draft-dates" });
    el.dateNew = h("input", { type: "date", id: "kyfw-date-new", "aria-label": t("optDateNew"), "aria-describedby": "kyfw-dates-error" });
    el.datesError = h("div", { id: "kyfw-dates-error", class: "kyfw-field-error", role: "alert" });
    el.typesError = h("div", { id: "kyfw-types-error", class: "kyfw-field-error", role: "alert" });
    el.windowError = h("div", { id: "kyfw-window-error", class: "kyfw-field-error", role: "alert" });
    el.minSeatsError = h("div", { id: "kyfw-min-seats-error", class: "kyfw-field-error", role: "alert" });
    el.after = timeField("kyfw-depart-after", t("optWindowFrom"), after, (v) => (after = v));
    el.before = timeField("kyfw-depart-before", t("optWindowTo"), before, (v) => (before = v));
    el.minSeats = h("input", {
      type: "number",
      id: "kyfw-min-seats",
      min: "1",
      step: "1",
      "aria-label": t("optMinSeats"),
      "aria-describedby": "kyfw-min-seats-error",
      value: minSeats,
      onchange: (/** @type {Event & {target: HTMLInputElement}} */ e) => {
        minSeats = e.target.value.trim();
        clearErrors();
        el.brief.textContent = brief();
      },
    });
    el.fold = h(
      "details",
      { id: "kyfw-options" },
      h("summary", {}, t("optFold"), el.brief),
      h("div", { class: "kyfw-opt" }, h("b", {}, t("optDates")), el.dates),
      h("div", { class: "kyfw-opt kyfw-opt-row" }, el.dateNew, h("button", { type: "button", id: "kyfw-date-add", onclick: addDate }, t("optDateAdd"))),
      el.datesError,
      h(
        "div",
        { class: "kyfw-opt" },
        h("b", {}, t("optTypes")),
        h(
          "div",
          { id: "kyfw-types" },
          TYPES.map((code) =>
            h(
              "label",
              {},
              h("input", {
                type: "checkbox",
                value: code,
                checked: types.includes(code),
                onchange: (/** @type {Event & {target: HTMLInputElement}} */ e) => {
                  // Kept in the contract's order, whatever the order of ticking.
                  types = TYPES.filter((c) => (c === code ? e.target.checked : types.includes(c)));
                  clearErrors();
                  el.brief.textContent = brief();
                },
              }),
              t(`optType${code}`),
            ),
          ),
        ),
      ),
      el.typesError,
      h("div", { class: "kyfw-opt kyfw-opt-row" }, h("b", {}, t("optWindow")), el.after, "–", el.before),
      el.windowError,
      h("div", { class: "kyfw-opt kyfw-opt-row" }, h("label", { for: "kyfw-min-seats" }, h("b", {}, t("optMinSeats"))), el.minSeats, h("span", { class: "kyfw-muted" }, t("optMinSeatsHint"))),
      el.minSeatsError,
      h(
        "div",
        { class: "kyfw-opt" },
        h(
          "label",
          {},
          h("input", {
            type: "checkbox",
            id: "kyfw-allow-fewer",
            checked: allowFewer,
            onchange: (/** @type {Event & {target: HTMLInputElement}} */ e) => (allowFewer = e.target.checked),
          }),
          t("optAllowFewer"),
        ),
        h("div", { class: "kyfw-muted", id: "kyfw-allow-fewer-hint" }, t("optAllowFewerHint")),
      ),
    );
    render();
    return el.fold;
  }

  return {
    element,
    /** A new draft for the table's date: the dates start over, the other options stay. @param {string} date */
    reset(date) {
      dates = [date];
      if (el.fold) clearErrors();
      render();
    },
    /**
     * What the core read from login/conf: the first and last day a date may be picked, the end of the pre-sale window.
     * @param {{today?: string | null, lastOnSale?: string | null, latestDate?: string | null}} answer
     */
    setDays(answer) {
      days = { today: answer.today || null, lastOnSale: answer.lastOnSale || null, latest: answer.latestDate || null };
      render();
    },
    /** The start request's fields for these options (the task contract's names). */
    spec() {
      return {
        dates: [...dates],
        trainTypes: [...types],
        departAfter: after || null,
        departBefore: before || null,
        // A number for the core to round and clamp (1–20); empty is none (the passengers).
        minSeats: minSeats === "" ? null : Number(minSeats),
        allowFewer,
      };
    },
    /**
     * Shows the core's refusal of the start request at its field (the fold opens); false when the refusal is not
     * about these options (the panel says it in its status line).
     * @param {{error: string, code?: string, detail?: string}} refusal
     */
    showRefusal(refusal) {
      if (!el.fold) return false;
      clearErrors();
      /** @type {[HTMLElement, HTMLElement | null][]} */
      let at = [];
      switch (refusal.code) {
        case "badDate":
        case "tooManyDates":
          at = [[el.datesError, null]];
          break;
        case "badTrainType":
          at = [[el.typesError, null]];
          break;
        case "badTime": {
          // The field holding the refused text (both when both do).
          const fields = [el.after, el.before].filter((f) => f.value.trim() === refusal.detail);
          at = [[el.windowError, fields[0] || el.after], ...fields.slice(1).map((f) => /** @type {[HTMLElement, HTMLElement]} */ ([el.windowError, f]))];
          break;
        }
        case "badTimeWindow":
          at = [[el.windowError, el.after], [el.windowError, el.before]];
          break;
        default:
          return false;
      }
      el.fold.open = true;
      for (const [box, field] of at) {
        box.textContent = refusal.error;
        field?.setAttribute("aria-invalid", "true");
      }
      (at[0][1] || at[0][0]).scrollIntoView({ block: "nearest" });
      return true;
    },
    clearErrors() {
      if (el.fold) clearErrors();
    },
  };
})();
