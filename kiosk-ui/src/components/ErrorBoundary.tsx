// Root error boundary: a crash in one screen shows a reload button instead of a blank kiosk.
import { Component, type ComponentChildren } from 'preact';

interface Props {
  title: string;
  reload: string;
  children?: ComponentChildren;
}

export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state = { error: null as unknown };

  static override getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown) {
    console.error('kiosk-ui: render failed', error);
  }

  override render() {
    if (this.state.error == null) return this.props.children;
    return (
      <div class="ns-page" role="alert">
        <p class="ns-error">{this.props.title}</p>
        <button type="button" class="ns-button" onClick={() => location.reload()}>
          {this.props.reload}
        </button>
      </div>
    );
  }
}
