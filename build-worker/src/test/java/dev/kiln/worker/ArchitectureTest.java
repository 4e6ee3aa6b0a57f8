package dev.kiln.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.kiln.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule domainIsPureJava =
      noClasses()
          .that()
          .resideInAPackage("..worker.domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "jakarta..", "io.quarkus..", "org.apache.kafka..", "java.sql..", "org.jboss..");

  @ArchTest
  static final ArchRule appKnowsNoAdapter =
      noClasses()
          .that()
          .resideInAnyPackage("..worker.domain..", "..worker.app..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..worker.adapter..", "..worker.config..");
}
