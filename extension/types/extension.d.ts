// The extension's own shapes, for `tsc --checkJs` (extension/tsconfig.json): the task records the background keeps
// and shows, and the messages between the panel, the popup and the background (ARCHITECTURE.md §3). The core's
// types (tasks, statuses, the driver's host) come from the declarations wasm-bindgen generates from the Rust types,
// extension/wasm/kyfw.d.ts; nothing here repeats one of them. Not part of the packages (build.sh excludes *.d.ts).

import type { IntervalCheck, LoginState, NeedsUser, PassengerChoice, SeatClasses, Status, Step, TaskSpec, Waitlist } from "../wasm/kyfw.js";

/** running → done (an order) | failed | needsUser | stopped. */
export type TaskState = "running" | "done" | "failed" | "needsUser" | "stopped";

/** One line of a task's step log (store.appendLog). */
export interface LogLine {
  /** When it was written (ms). */
  t: number;
  /** The text without the repeat counter. */
  base: string;
  /** What is shown ("排队等待 ×3"). */
  text: string;
  kind: "info" | "ok" | "error";
  /** 12306's own words that came with it, shown as they are (plain text). */
  server?: string;
  /** Lines of one slot ("query", "queue") replace each other while they follow one another. */
  slot?: string | null;
  count?: number;
}

/** A task as the background keeps it in storage (`task:<id>`), masked and capped by store.clean. */
export interface TaskRecord {
  id: string;
  /** The tab that started the task (null: an extension page). */
  tabId: number | null;
  /** Tabs whose press of the same booking joined it: they follow its log too. */
  watchers?: number[];
  /** The train codes, "/"-joined. */
  train: string;
  /** The trains in priority order (codes or patterns), as the task has them. */
  trains?: string[];
  /** Seat class codes in priority order. */
  seats?: string[];
  /** 无座 accepted. */
  acceptNoSeat?: boolean;
  date: string;
  /** "上海虹桥→北京南". */
  route: string;
  /** Passenger names. */
  passengers: string[];
  /** Each traveller's ticket type code and own seat class (null: the task's classes). */
  tickets?: { name: string; ticketType: string; seat: string | null }[];
  /** Time between queries (ms). */
  intervalMs?: number;
  /** The task's options as the core made them (BookingTask): travel dates in priority order, kinds of train, the
   *  departure window, the least seats left (null: the passengers), booking for fewer. Absent on older records. */
  dates?: string[];
  trainTypes?: string[];
  departAfter?: string | null;
  departBefore?: string | null;
  minSeats?: number | null;
  allowFewer?: boolean;
  /** The task's 候补 policy as the core made it (BookingTask.waitlist); absent on older records. */
  waitlist?: Waitlist;
  /** 静音车厢 asked for (BookingTask.quietCarriage). */
  quietCarriage?: boolean;
  state: TaskState;
  log: LogLine[];
  createdAt: number;
  /** Write time (store.save): the newer of a stored record and a state kept aside wins. */
  updatedAt?: number;
  /** When the task ended (the payment window's start when 12306 gave no deadline). */
  finishedAt?: number;
  /** The user has looked at the outcome (the badge stops calling). */
  seen?: boolean;
  /** The core's status after the last step. */
  status?: Status;
  /** The machine as the core saved it (Booking.save()); never shown. */
  machine?: string;
  orderId?: string;
  /** 12306's payment deadline text, when it gave one. */
  payDeadline?: string | null;
  /** Why the task failed or waits for the user. */
  message?: string;
  /** The code of why it failed or waits (a NeedsUser kind, a refusal's reason), for the UI's wording. */
  reasonCode?: string;
  /** The passenger a passengerMissing pause is about. */
  name?: string;
  /** What the task waits for (the core's NeedsUser kind), or "saveFailed". */
  reasonKind?: NeedsUser["kind"] | "saveFailed";
  /** Which transport took the last request. */
  lastVia?: "tab" | "background";
  /** The step the badge last showed. */
  shownStep?: Step;
  /** Stopped while a confirm's outcome was unknown (or an order id known): an order may exist at 12306. */
  orderMayExist?: boolean;
  /** Stopped with an order that may exist, and following that order to its end (runner.js follow()). */
  following?: boolean;
}

/** What a panel or popup sees of a record: without the machine, with the payment deadline of an order. */
export type TaskView = Omit<TaskRecord, "machine"> & { payBy?: { ms: number; exact: boolean } | null };

/** Every answer may be a refusal or a failure. */
export interface Failure {
  ok: false;
  error: string;
  loginRequired?: boolean;
  /** A refused start request: the core's reason code (TaskError's variant, `badTimeWindow`…), for the field to show it at. */
  code?: string;
  /** …and its value (the refused text, a count), as text. */
  detail?: string;
}

/** The messages the background answers, by `type`, with what each carries. */
export interface Requests {
  loginStatus: {};
  passengers: {};
  seatClasses: {};
  checkInterval: { value: string };
  startTask: { spec: TaskSpec };
  stopTask: { taskId: string };
  tabTask: {};
  tabTasks: {};
  continueTask: { taskId: string };
  listTasks: {};
  restartTask: { taskId: string };
  deleteTask: { taskId: string };
  markSeen: { taskId: string };
}

/** What the background answers to each message (or a Failure). */
export interface Answers {
  loginStatus: { ok: true; loggedIn: boolean | null; name: string } & Pick<LoginState, "today" | "lastOnSale" | "latestDate">;
  passengers: { ok: true; passengers: PassengerChoice[] };
  seatClasses: { ok: true } & SeatClasses;
  checkInterval: { ok: true; check: IntervalCheck };
  startTask: { ok: true; task: TaskView | null };
  stopTask: { ok: true };
  tabTask: { ok: true; task: TaskView | null };
  tabTasks: { ok: true; tasks: TaskView[] };
  continueTask: { ok: true; task: TaskView | null };
  listTasks: { ok: true; tasks: TaskView[] };
  restartTask: { ok: true; task: TaskView | null };
  deleteTask: { ok: true };
  markSeen: { ok: true };
}

export type MessageType = keyof Requests;
export type Request<K extends MessageType> = { type: K } & Requests[K];
export type Answer<K extends MessageType> = Answers[K] | Failure;

/** The background's pushes to a panel. */
export interface TaskUpdate {
  type: "taskUpdate";
  task: TaskView | null;
}

/** What the panel remembers of a passenger (`panelSettings.passengers["name|idNo"]`). */
export interface PassengerSetting {
  checked: boolean;
  ticketType: string;
  seat: string | null;
  /** 选座/选铺 wish: a seat letter (`A` `B` `C` `D` `F`) or a berth (`Lower` `Middle` `Upper`); null = any. */
  place?: string | null;
}

/** The panel's choices (`panelSettings` in storage). */
export interface PanelSettings {
  passengers: Record<string, PassengerSetting>;
  seats: string[];
  acceptNoSeat: boolean;
  intervalS: number;
  /** The 候补 policy of new tasks (`off` by default). */
  waitlist?: "off" | "whenSoldOut" | "only";
  /** Keep querying for a direct ticket while the 候补 order waits. */
  waitlistKeepPolling?: boolean;
  /** 截止兑现时间 (minutes before departure) of new tasks; absent: the core's default. */
  waitlistDeadlineMin?: number;
  /** 静音车厢 asked for (二等座). */
  quietCarriage?: boolean;
}

/** The options page's preferences (`prefs` in storage). */
export interface Prefs {
  sound: boolean;
  notifications: boolean;
}

/** The port a page holds open while it shows a sale's countdown (`chrome.runtime.connect({name: "countdown"})`):
 *  the toolbar tooltip then counts by the second instead of by the minute (background/notify/badge.js). The
 *  countdown itself is the task's `status.opensAtLocal − Date.now()` (`status.dates` per date). */
export type CountdownPortName = "countdown";
