package org.sandboxrunner.core.batch;

import java.util.Objects;
import java.util.UUID;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.ResultJson;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.SandboxSetupException;
import org.sandboxrunner.core.run.Status;

/** What became of one job: it ran (any verdict), or its sandbox could not be set up. */
public sealed interface BatchOutcome {
    BatchJob job();

    /** The verdict: the run's own, or {@link Status#XX} when it did not run. */
    Status status();

    /** The result as {@code sandbox run --result} writes it; a job that did not run gets status XX and its failed step. */
    ResultJson toJson();

    default String id() {
        return job().id();
    }

    default ResolvedProfile profile() {
        return job().request().profile();
    }

    record Ran(BatchJob job, RunResult result) implements BatchOutcome {
        public Ran {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(result, "result");
        }

        @Override
        public Status status() {
            return result.status();
        }

        @Override
        public ResultJson toJson() {
            return ResultJson.of(result);
        }
    }

    /** The workload did not run: {@link SandboxSetupException#step()} says where it stopped. */
    record NotRun(BatchJob job, SandboxSetupException failure) implements BatchOutcome {
        public NotRun {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public Status status() {
            return Status.XX;
        }

        @Override
        public ResultJson toJson() {
            ResolvedProfile p = profile();
            return ResultJson.setupFailure(UUID.randomUUID().toString(), failure, p.name(), p.sha256());
        }
    }
}
