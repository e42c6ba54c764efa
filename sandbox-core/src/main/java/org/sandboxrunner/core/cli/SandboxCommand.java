package org.sandboxrunner.core.cli;

import picocli.CommandLine.Command;

@Command(name = "sandbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs untrusted programs under a declarative, audited sandbox profile.",
        subcommands = {RunCommand.class, ProfileCommand.class, AuditCommand.class, ImageCommand.class, BatchCommand.class})
final class SandboxCommand {}
