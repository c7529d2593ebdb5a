/**
 * A lazily loaded part of the page: a line while it loads, and, when it cannot come (offline
 * before it was ever fetched, say), a message in its place instead of a blank page.
 */
import { Component, Suspense, type ReactNode } from 'react';

export function LazyPanel({ loading, children }: { loading: ReactNode; children: ReactNode }) {
  return (
    <LoadFailure>
      <Suspense fallback={loading}>{children}</Suspense>
    </LoadFailure>
  );
}

class LoadFailure extends Component<{ children: ReactNode }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <p className="error pad" role="alert">
        This part of the page could not be loaded ({error.message}). It comes from this site the first time it is opened: reload the page
        when you are online.
      </p>
    );
  }
}
