package dev.kiln.logs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.kiln.logs");

  @Test
  void theDomainIsPlainJava() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.logs.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta..", "io.quarkus..", "org.apache.kafka..", "java.sql..")
        .check(CLASSES);
  }

  @Test
  void useCasesDoNotReachIntoAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.kiln.logs.domain..", "dev.kiln.logs.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.kiln.logs.adapter..")
        .check(CLASSES);
  }
}
