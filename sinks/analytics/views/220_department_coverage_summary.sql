-- title: Department coverage summary
-- params: as_of
-- One row: customers touched by any department, how many more than one department serves, how
-- many of those some department approached blind (see department_coverage), and the shares.
SELECT
    count() AS customers,
    countIf(multi_department = 1) AS multi_department_customers,
    round(if(count() = 0, 0., countIf(multi_department = 1) / count()), 4) AS multi_department_share,
    countIf(multi_department = 1 AND aware = 0) AS blind_contact_customers,
    round(if(countIf(multi_department = 1) = 0, 0.,
             countIf(multi_department = 1 AND aware = 0) / countIf(multi_department = 1)), 4)
        AS blind_share_of_multi,
    round(avg(department_count), 3) AS avg_departments
FROM {view:department_coverage}
