// The point's current board content, one place for both writers (the coordinator's signed broadcasts and
// local staff) and for the resident screens that read it. It exists before the e-ink panel is set up
// (the coordinator link starts first) and keeps working when the panel is disabled or failed.
import type { BoardService } from './board-service.js';
import { parseBoardContent, type BoardContent } from './content.js';

export class CurrentBoardContent {
  private board: BoardService | null = null;
  private held: BoardContent | null = null;

  /** Connects the panel: content that arrived before it is shown now. */
  attach(board: BoardService): void {
    this.board = board;
    if (this.held) board.setContent(this.held);
  }

  get(): BoardContent | null {
    return this.board?.currentContent() ?? this.held;
  }

  /** Validates (BoardContentError when invalid), shows it on the panel and keeps it. */
  set(input: unknown): BoardContent {
    const content = parseBoardContent(input);
    this.board?.setContent(content);
    this.held = content;
    return content;
  }
}
