package dev.kiln.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.kiln.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule domainIsPlainJava =
      noClasses()
          .that()
          .resideInAPackage("dev.kiln.gateway.domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "jakarta..", "io.quarkus..", "io.vertx..", "org.apache.kafka..", "java.sql..");

  @ArchTest
  static final ArchRule useCasesDoNotReachIntoAdapters =
      noClasses()
          .that()
          .resideInAnyPackage("dev.kiln.gateway.domain..", "dev.kiln.gateway.app..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.kiln.gateway.adapter..");
}
