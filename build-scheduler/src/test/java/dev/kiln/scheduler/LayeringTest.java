package dev.kiln.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class LayeringTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.kiln.scheduler");

  @Test
  void domainIsPlainJava() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.scheduler.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta..",
            "javax..",
            "io.quarkus..",
            "io.smallrye..",
            "org.apache.kafka..",
            "java.sql..")
        .check(CLASSES);
  }

  @Test
  void useCasesDoNotReachIntoTheDrivingAdapters() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.scheduler.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.kiln.scheduler.adapter.kafka..",
            "dev.kiln.scheduler.adapter.rest..",
            "dev.kiln.scheduler.adapter.timer..",
            "dev.kiln.scheduler.config..",
            "io.quarkus..",
            "jakarta..")
        .check(CLASSES);
  }
}
