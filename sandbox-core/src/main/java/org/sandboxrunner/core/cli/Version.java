package org.sandboxrunner.core.cli;

import picocli.CommandLine.IVersionProvider;

final class Version implements IVersionProvider {
    static String runner() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"sandbox-runner " + runner()};
    }
}
