#!/bin/sh
# Regenerates the R reference values of tests/meta/ (run from the project root; needs R with metafor, lme4, jsonlite).
# meta_studies.csv is ../shared/reference/meta_studies.csv; auditc.csv is mada's AuditC (Kriston et al. 2008)
# from ../shared/reference/peers/auditc.csv; imaging.csv and biopsy_series.csv are from ../shared/literature.md 2.2 / 3.3.
set -e
d=tests/reference/meta
for name in meta_studies auditc imaging; do
  Rscript ../shared/oracle/meta.R $d/$name.csv > $d/${name}_oracle.json
done
Rscript $d/extra.R $d/meta_studies.csv > $d/meta_studies_extra.json
Rscript $d/extra.R $d/auditc.csv > $d/auditc_extra.json
Rscript $d/extra.R $d/imaging.csv pet > $d/imaging_extra.json
Rscript $d/extra.R --proportion $d/biopsy_series.csv > $d/biopsy_series_extra.json
# meta_studies_mada.json: mada 0.5.12 values copied from ../shared/reference/meta_studies_mada.json (mada is not installable here)
# Comparative meta-analysis (ds.meta.bivariate(covariate=...)): imaging_patient.csv is the per-patient rows of
# datasets/imaging_2x2_studies.csv, one table per study and modality (Even-Sapir's 18F-fluoride PET without CT left out)
Rscript $d/metareg.R $d/imaging.csv modality MRI > $d/imaging_metareg.json
Rscript $d/metareg.R $d/imaging_patient.csv modality "bone scintigraphy" > $d/imaging_patient_metareg.json
# imaging_patient_modality.csv: the same per-patient rows after the MRI studies were added (issue 16), grouped by the
# dataset's modality column (MRI, PET, bone scan), MRI the reference
Rscript $d/metareg.R $d/imaging_patient_modality.csv modality MRI > $d/imaging_patient_modality_metareg.json
# ML, Knapp-Hartung (knha, adhoc), Mantel-Haenszel, the DOR prediction interval and madad-style descriptives (issue 21)
for name in meta_studies auditc imaging; do
  Rscript $d/peer_univariate.R $d/$name.csv > $d/${name}_peer_univariate.json
  Rscript $d/peer_bivariate.R $d/$name.csv > $d/${name}_peer_bivariate.json
done
for name in meta_studies auditc; do
  Rscript $d/peer_describe.R $d/$name.csv > $d/${name}_peer_describe.json
done
# t-alpha transformations (Doebler et al. 2012; mada reitsma(alphasens=, alphafpr=)): rma.mv on the transformed outcomes
Rscript $d/peer_talpha.R $d/auditc.csv 0.5 1.5 > $d/auditc_peer_talpha.json
Rscript $d/peer_talpha.R $d/meta_studies.csv 1.3 0.7 > $d/meta_studies_peer_talpha.json
# Zhou & Dendukuri I^2 (BivariateMetaResult.heterogeneity): dementia_metadta.csv and dementia_metadta.json are the data
# and the numbers printed by Stata's metadta and metandi in VNyaga/Metadta RSM2023/Logs/stataout.txt (no R; Stata is
# not available here), with the commit in the JSON
# mada phm (proportional hazards / Lehmann SROC model): mada does not install here, so MADA_R_DIR pointed at mada 0.5.10's
# R files (see the script's header); AuditC and meta_studies are in this folder, Dementia, skin_tests and smoking in
# ../shared/reference/public/peer_suites
P=../shared/reference/public/peer_suites
for name in auditc meta_studies; do Rscript $d/peer_phm.R $d/$name.csv > $d/${name}_peer_phm.json; done
Rscript $d/peer_phm.R $P/mada_dementia.csv > $d/dementia_peer_phm.json
Rscript $d/peer_phm.R $P/mada_skin_tests.csv > $d/skin_tests_peer_phm.json
Rscript $d/peer_phm.R $P/mada_smoking.csv 1 > $d/smoking_peer_phm.json
