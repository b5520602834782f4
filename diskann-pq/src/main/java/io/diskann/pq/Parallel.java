package io.diskann.pq;

/** Runs one task on several platform threads and rethrows the first failure. */
final class Parallel {

    private Parallel() {
    }

    static void run(int threads, Runnable task) {
        if (threads <= 1) {
            task.run();
            return;
        }
        Thread[] workers = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            workers[t] = Thread.ofPlatform().name("diskann-pq-" + t).start(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                }
            });
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
    }
}
