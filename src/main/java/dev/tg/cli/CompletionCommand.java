package dev.tg.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Prints the bash/zsh completion script for tg.",
        "Use it with: source <(tg completion)   (zsh: autoload -U +X bashcompinit && bashcompinit first)"})
final class CompletionCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("tg", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return Main.OK;
  }
}
