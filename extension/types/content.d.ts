// The content scripts' shared namespace (`kyfw`, one object in the isolated world of a kyfw.12306.cn tab; each
// classic script adds its part, content/i18n.js first), for `tsc --checkJs`. A global declaration file: the
// content scripts cannot import modules.

type KyfwAnswer<K extends import("./extension").MessageType> = import("./extension").Answer<K>;

/** Attributes for kyfw.h: on* keys are event handlers (their event is the DOM's, left untyped), the rest values. */
type KyfwAttrs = { [key: `on${string}`]: ((event: any) => void) | undefined } & Record<string, unknown>;

interface KyfwPageInfo {
  /** The current query: { date, from: {code, name}, to: {code, name} }, "" for what cannot be read. */
  query(): { date: string; from: { code: string; name: string }; to: { code: string; name: string } };
  /** The train code of a `tr[id^=ticket_]` row, or "". */
  trainCode(row: Element): string;
  /** The page's query path (`leftTicket/queryG`), or null. */
  queryPath(): string | null;
  cookie(name: string): string;
  /** Records the form's query when the table was rendered anew; true when it was. */
  tableRendered(): boolean;
  /** The query the table shows (recorded when it was rendered), or null before it has rows. */
  shownQuery(): { date: string; from: { code: string; name: string }; to: { code: string; name: string } } | null;
}

interface KyfwPanel {
  /** A row's 自动预订: adds its train to the task being prepared. */
  press(train: string): void;
  tableChanged(): void;
  /** The panel's closed shadow root, for the end-to-end tests. */
  readonly root: ShadowRoot | null;
}

interface KyfwContent {
  /** A localized string. */
  t(key: string, ...subs: (string | number)[]): string;
  /** The handler, for the user's own (trusted) events only. */
  trusted<E extends Event>(handler: (event: E) => void): (event: E) => void;
  /** An element with attributes (on* handlers trusted-only) and children, never parsed as markup. */
  h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: KyfwAttrs | null, ...children: unknown[]): HTMLElementTagNameMap[K];
  /** A message to the background; never rejects (a failure is an answer). */
  send<K extends import("./extension").MessageType>(message: import("./extension").Request<K>): Promise<KyfwAnswer<K>>;
  pageInfo: KyfwPageInfo;
  panel?: KyfwPanel;
  rowButtons?: { watch(): void; applyAll(): void };
  /** Where the panel sits (content/features/panel-place.js). */
  panelPlace?: {
    load(): Promise<{ right: number; bottom: number; collapsed: boolean }>;
    attach(box: HTMLElement, handle: HTMLElement): void;
    apply(): void;
    setCollapsed(collapsed: boolean): void;
  };
  /** The panel's stylesheet (content/features/panel-style.js). */
  panelCss?: string;
}

declare var kyfw: KyfwContent;

/** Firefox: the page's own `fetch` for a content script (MDN "Content scripts: XHR and Fetch"); absent in Chrome. */
declare var content: { fetch: typeof fetch } | undefined;
